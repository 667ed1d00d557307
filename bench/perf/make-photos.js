// The bench's photo sets, made deterministically from the test photos with the pinned sharp (same version, same
// bytes): set16/ (8 large photos of 10-16 MP, 8 of 2 MP, camera-like JPEG q90, orientation applied, no metadata)
// and many/ (COUNT distinct 1024x768 crops of the 2 MP ones, for the 1 000-photo import). Usage:
// node make-photos.js SHARP_MODULE TEST_PHOTOS OUT [COUNT=1000]
'use strict';
const fs = require('fs');
const path = require('path');
const [sharpModule, testPhotos, out, count = '1000'] = process.argv.slice(2);
const sharp = require(sharpModule);
const source = (name) => path.join(testPhotos, name);
const jpeg = { quality: 90, chromaSubsampling: '4:2:0' };

// [source, width, height]: upscaled or cropped to fill width x height (cover), centre kept.
const large = [
  ['canon-eos70d-5472x3648.avif', 4608, 3456], ['large-4608x3456-kodak-pixpro.jpg', 4000, 3000],
  ['canon-eos70d-5472x3648.avif', 4896, 3264], ['canon-eos70d-5472x3648.avif', 3648, 3648],
  ['gps-apple-iphone4.jpg', 4032, 3024], ['gps-samsung-galaxy-note5.jpg', 4600, 2850],
  ['orientation-1-landscape.jpg', 4200, 2800], ['orientation-1-portrait.jpg', 2800, 4200],
];
const small = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `orientation-${n}-${n % 2 ? 'landscape' : 'portrait'}.jpg`);

async function main() {
  fs.mkdirSync(path.join(out, 'set16'), { recursive: true });
  fs.mkdirSync(path.join(out, 'many'), { recursive: true });
  for (const [i, [name, width, height]] of large.entries()) {
    await sharp(source(name)).rotate().resize(width, height, { fit: 'cover', kernel: 'lanczos3' }).jpeg(jpeg)
      .toFile(path.join(out, 'set16', `large-${i + 1}.jpg`));
  }
  for (const [i, name] of small.entries()) {
    await sharp(source(name)).rotate().jpeg(jpeg).toFile(path.join(out, 'set16', `small-${i + 1}.jpg`));
  }
  const decoded = [];
  for (const name of small) {
    decoded.push(await sharp(source(name)).rotate().raw().toBuffer({ resolveWithObject: true }));
  }
  for (let i = 0; i < Number(count); i++) {
    const { data, info } = decoded[i % small.length];
    const step = Math.floor(i / small.length);
    const left = (step * 7) % (info.width - 1024), top = (step * 5) % (info.height - 768);
    await sharp(data, { raw: info }).extract({ left, top, width: 1024, height: 768 }).jpeg(jpeg)
      .toFile(path.join(out, 'many', `${String(i).padStart(4, '0')}.jpg`));
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
