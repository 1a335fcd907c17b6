// NestJS 12 ships as ES modules. Node 20 can require() them at run time, but Jest below Node 24.9
// cannot, so Jest rewrites those packages to CommonJS with Babel. import.meta has no CommonJS
// form; the two uses in those packages are mapped to their CommonJS equivalents here.
'use strict';
const babel = require('@babel/core');

function importMetaToCommonJs({ types: t, template }) {
  const url = template.expression.ast`require('node:url').pathToFileURL(__filename).href`;
  return {
    visitor: {
      // `const require = createRequire(import.meta.url)`: CommonJS already has require.
      VariableDeclarator(path) {
        const { id, init } = path.node;
        if (t.isIdentifier(id, { name: 'require' }) && t.isCallExpression(init) && t.isIdentifier(init.callee, { name: 'createRequire' })) {
          path.remove();
        }
      },
      MemberExpression(path) {
        const { object, property } = path.node;
        if (!t.isMetaProperty(object) || object.meta.name !== 'import' || object.property.name !== 'meta') return;
        if (t.isIdentifier(property, { name: 'url' })) path.replaceWith(t.cloneNode(url));
        else if (t.isIdentifier(property, { name: 'resolve' })) path.replaceWith(template.expression.ast`require.resolve`);
        else if (t.isIdentifier(property, { name: 'dirname' })) path.replaceWith(t.identifier('__dirname'));
        else if (t.isIdentifier(property, { name: 'filename' })) path.replaceWith(t.identifier('__filename'));
      },
    },
  };
}

// Static import/export at the start of a line: an ES module. Everything else passes untouched.
const ESM_SYNTAX = /^\s*(import\s*[\w{*'"]|export\s+(\{|\*|default|const|let|var|function|class|async))/m;

module.exports = {
  process(source, filename) {
    if (!ESM_SYNTAX.test(source) && !source.includes('import.meta')) return { code: source };
    const result = babel.transformSync(source, {
      filename,
      babelrc: false,
      configFile: false,
      sourceMaps: 'inline',
      plugins: [importMetaToCommonJs, '@babel/plugin-transform-dynamic-import', ['@babel/plugin-transform-modules-commonjs', { importInterop: 'node' }]],
    });
    return { code: result.code };
  },
  getCacheKey(source, filename) {
    return require('node:crypto').createHash('sha256').update('esm-to-cjs-v4').update(filename).update(source).digest('hex');
  },
};
