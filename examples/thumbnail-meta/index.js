// A CPU-bound handler: hashing work scales with the CPU share, which follows memory.
// Deploy it at 128 MB and at 1769 MB and compare the Duration in the REPORT line.
const { createHash } = require('node:crypto');
const fs = require('node:fs');

exports.handler = async (event) => {
  const rounds = Number(event.rounds ?? 20000);
  let digest = Buffer.from(String(event.seed ?? 'hearth'));
  for (let i = 0; i < rounds; i++) digest = createHash('sha256').update(digest).digest();
  // /tmp is private to this environment and survives between its requests.
  fs.writeFileSync('/tmp/last-digest', digest.toString('hex'));
  return { rounds, digest: digest.toString('hex') };
};
