// Fails when a NuGet or npm dependency (direct or transitive) is under a licence outside the
// allow-list, or declares none. Reads what restore and npm ci resolved: every project's
// obj/project.assets.json with the packages' .nuspec files, and the node_modules of the web app and of the place
// names' build-time conversion (tools/place-data).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { homedir } from 'node:os';

const allowed = new Set(['MIT', 'MIT-0', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', 'ISC', '0BSD',
  'Unlicense', 'CC0-1.0', 'CC-BY-4.0', 'BlueOak-1.0.0', 'Python-2.0', 'PostgreSQL',
  // Weak copyleft is fine for what Keepsake does with these: libvips is loaded as a shared library,
  // lightningcss runs only at build time.
  'LGPL-3.0-or-later', 'MPL-2.0']);
// Packages that name their licence by URL only, as Microsoft's older packages do.
const allowedUrls = new Map([
  ['https://licenses.nuget.org/MIT', 'MIT'],
  ['https://github.com/dotnet/corefx/blob/master/LICENSE.TXT', 'MIT'],
  ['https://go.microsoft.com/fwlink/?linkid=2091906', 'MIT'],
  ['https://www.nuget.org/packages/Microsoft.NETCore.Platforms/1.1.0/License', 'MIT'],
  ['http://go.microsoft.com/fwlink/?LinkId=329770', 'MS .NET Library (redistributable)'],
  ['https://raw.githubusercontent.com/xunit/xunit/master/license.txt', 'Apache-2.0'],
  // XmpCore (MetadataExtractor's XMP reader) is Adobe's XMP library ported under its BSD licence.
  ['https://www.adobe.com/devnet/xmp/library/eula-xmp-library-java.html', 'BSD-3-Clause'],
]);

const root = new URL('..', import.meta.url).pathname;
const nugetRoot = process.env.NUGET_PACKAGES ?? join(homedir(), '.nuget', 'packages');
const problems = [];
const seen = new Map();

// An SPDX expression passes when every alternative of an OR has an allowed licence, i.e. when at least
// one side of each OR and every side of each AND is allowed.
function expressionAllowed(expression) {
  const alternatives = expression.replace(/[()]/g, '').split(/\s+OR\s+/i);
  return alternatives.some(a => a.split(/\s+AND\s+/i).every(l => allowed.has(l.trim().replace(/\+$/, ''))));
}

// Packages whose package.json names no licence but whose own files do, pinned to the version read.
const declaredElsewhere = new Map([
  // tus-js-client's dependency; its Readme.md ends with "## License  MIT".
  ['npm combine-errors@3.0.3', 'MIT'],
]);

function check(kind, name, declared) {
  const key = `${kind} ${name}`;
  if (seen.has(key)) return;
  const licence = declared || declaredElsewhere.get(key);
  seen.set(key, licence);
  if (!licence) problems.push(`${key}: declares no licence`);
  else if (!expressionAllowed(licence) && ![...allowedUrls.values()].includes(licence)) problems.push(`${key}: ${licence} is not on the allow-list`);
}

function* projectAssets(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (!entry.isDirectory() || ['node_modules', 'bin', '.git'].includes(entry.name)) continue;
    const path = join(folder, entry.name);
    if (entry.name === 'obj' && existsSync(join(path, 'project.assets.json'))) yield join(path, 'project.assets.json');
    else yield* projectAssets(path);
  }
}

for (const assets of projectAssets(root)) {
  const { libraries } = JSON.parse(readFileSync(assets, 'utf8'));
  for (const [nameVersion, library] of Object.entries(libraries)) {
    if (library.type !== 'package') continue;
    const nuspecName = library.files.find(f => f.endsWith('.nuspec'));
    const nuspec = readFileSync(join(nugetRoot, library.path, nuspecName), 'utf8');
    const expression = nuspec.match(/<license\s+type="expression">([^<]+)<\/license>/)?.[1];
    const url = nuspec.match(/<licenseUrl>([^<]+)<\/licenseUrl>/)?.[1];
    const file = nuspec.match(/<license\s+type="file">([^<]+)<\/license>/)?.[1];
    check('nuget', nameVersion, expression ?? allowedUrls.get(url ?? '') ?? (file ? `file ${file}` : url));
  }
}

function* npmPackages(folder) {
  if (!existsSync(folder)) return;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.name.startsWith('@')) { yield* npmPackages(path); continue; }
    if (existsSync(join(path, 'package.json'))) yield path;
    yield* npmPackages(join(path, 'node_modules'));
  }
}

const npmFolders = [join(root, 'src', 'Keepsake.Web', 'node_modules'), join(root, 'tools', 'place-data', 'node_modules')];
for (const path of npmFolders.flatMap(folder => [...npmPackages(folder)])) {
  const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'));
  if (!manifest.name || !manifest.version) continue;
  const licence = typeof manifest.license === 'string' ? manifest.license : manifest.license?.type ?? manifest.licenses?.map(l => l.type).join(' OR ');
  check('npm', `${manifest.name}@${manifest.version}`, licence);
}

for (const problem of problems) console.log(problem);
console.log(`${seen.size} dependencies checked, ${problems.length} outside the licence allow-list`);
process.exit(problems.length === 0 ? 0 : 1);
