import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** A package's folder (its exports map hides build/*.min.js from require.resolve): walk up from its entry point. */
function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  while (
    !existsSync(join(dir, 'package.json')) ||
    JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== name
  ) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the ${name} package folder`);
    dir = up;
  }
  return dir;
}

/** The minified vega, vega-lite and vega-embed builds from node_modules, inlined so the page opens offline. */
export function libraryScripts(): string {
  return [
    ['vega', 'build/vega.min.js'],
    ['vega-lite', 'build/vega-lite.min.js'],
    ['vega-embed', 'build/vega-embed.min.js'],
  ]
    .map(([pkg, file]) => {
      const p = `${pkg}/${file}`;
      const js = readFileSync(join(packageDir(pkg!), file!), 'utf8')
        .replace(/\/\/# sourceMappingURL=\S*/g, '')
        .replace(/<\/script/gi, '<\\/script');
      return `<script>/* ${p} */\n${js}\n</script>`;
    })
    .join('\n');
}
