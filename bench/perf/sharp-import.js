// The peer of `keepsake import`: every JPEG of a folder, one after the other, to a 1440 px JPEG q82 preview, a
// 250 px WebP q75 thumbnail and a large WebP q75 thumbnail 400 px high, at most 1600 wide (fit inside, never enlarged,
// orientation applied), the same sizes Keepsake makes, each decoded from the original.
// Usage: node sharp-import.js SHARP_MODULE FOLDER OUT
'use strict';
const fs = require('fs');
const path = require('path');
const [sharpModule, folder, out] = process.argv.slice(2);
const sharp = require(sharpModule);

async function main() {
  fs.mkdirSync(out, { recursive: true });
  const names = fs.readdirSync(folder).filter((name) => /\.jpe?g$/i.test(name)).sort();
  for (const name of names) {
    const file = path.join(folder, name);
    const base = path.join(out, path.parse(name).name);
    await sharp(file).rotate().resize(1440, 1440, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 82 })
      .toFile(`${base}-preview.jpg`);
    await sharp(file).rotate().resize(250, 250, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 75 })
      .toFile(`${base}-thumbnail.webp`);
    await sharp(file).rotate().resize(1600, 400, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 75 })
      .toFile(`${base}-large-thumbnail.webp`);
  }
  console.log(`${names.length} photos`);
}
main().catch((e) => { console.error(e); process.exit(1); });
