// Parses PowerShell texts with tree-sitter-powershell (loaded as
// WebAssembly through web-tree-sitter) and reports, for each, its syntax
// errors and the constructs Windows PowerShell 5.1 lacks, which SSM's
// aws:runPowerShellScript runs.
//
// usage:  node --liftoff-only parse.mjs DIR   (DIR holds node_modules;
//         install.sh prints it; --liftoff-only spares node some fifteen
//         CPU seconds of optimising the grammar's WebAssembly at exit)
// stdin:  {"name": "script text", ...}
// stdout: {"name": {"errors": ["3:5 ..."], "ps7": ["1:9 ..."]}, ...}
// Exits 0 whatever it finds; non-zero only when it cannot parse at all.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// The modules live in a cache outside the repository, so they are
// resolved from there rather than from this file.
const require = createRequire(join(process.argv[2], 'package.json'));
const { Parser, Language } = await import(pathToFileURL(require.resolve('web-tree-sitter')).href);
const grammar = require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm');

await Parser.init();
const parser = new Parser();
parser.setLanguage(await Language.load(grammar));

const at = (node) => `${node.startPosition.row + 1}:${node.startPosition.column + 1}`;
const snippet = (node) => JSON.stringify(node.text.slice(0, 40));
// ForEach-Object and its aliases, whose -Parallel is PowerShell 7 only.
const forEachNames = new Set(['foreach-object', 'foreach', '%']);

function check(text) {
  const tree = parser.parse(text);
  const errors = [];
  const ps7 = [];
  const visit = (node) => {
    if (node.isMissing) {
      errors.push(`${at(node)} missing ${node.type}`);
    } else if (node.type === 'ERROR') {
      let msg = `${at(node)} syntax error at ${snippet(node)}`;
      if (node.text.includes('?')) {
        msg += ' (the ?: ternary, ?? and ?. operators are PowerShell 7 only)';
      }
      errors.push(msg);
    } else if (node.type === 'pipeline_chain_tail') {
      ps7.push(`${at(node)} pipeline chain operator ${snippet(node)} (&& and || are PowerShell 7 only)`);
    } else if (node.type === 'command') {
      const name = node.childForFieldName('command_name');
      if (name && forEachNames.has(name.text.toLowerCase()) &&
          node.descendantsOfType('command_parameter').some((p) => /^-pa/i.test(p.text))) {
        ps7.push(`${at(node)} ForEach-Object -Parallel is PowerShell 7 only`);
      }
    }
    for (const child of node.children) {
      visit(child);
    }
  };
  visit(tree.rootNode);
  if (tree.rootNode.hasError && errors.length === 0) {
    errors.push('1:1 the grammar reports an error it does not place');
  }
  tree.delete();
  return { errors, ps7 };
}

const texts = JSON.parse(readFileSync(0, 'utf8'));
const out = {};
for (const [name, text] of Object.entries(texts)) {
  out[name] = check(text);
}
process.stdout.write(JSON.stringify(out) + '\n');
