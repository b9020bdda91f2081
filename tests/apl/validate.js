// Validates APL documents and data sources with Amazon's apl-suggester.
// stdin: a JSON array of {"name", "document", "datasources"}; stdout: a JSON array of {"name", "errors"}, where
// each error is the validator's {path, errorMessage, level}. Exits 2 when the validator is not installed.
'use strict';

let StaticAplTemplateValidator;
try {
  ({ StaticAplTemplateValidator } = require('apl-suggester'));
} catch (e) {
  process.stderr.write('apl-suggester is not installed: run `make test` (npm ci --prefix tests/apl)\n');
  process.exit(2);
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const items = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const validator = new StaticAplTemplateValidator();
  const out = [];
  for (const item of items) {
    // The validator annotates what it is given: hand it a copy.
    const errors = await validator.validate(JSON.parse(JSON.stringify(item.document)));
    const dataErrors = item.datasources ? await validator.validateDataSources(item.datasources) : [];
    out.push({ name: item.name, errors: errors.concat(dataErrors) });
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack || e) + '\n');
  process.exit(1);
});
