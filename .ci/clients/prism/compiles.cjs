// Checks that Prism can compile every schema of the contract. Prism's validator
// compiles a schema the first time it meets it and, when the compilation throws,
// silently validates nothing (no log line, no violation): a contract that Prism
// cannot read looks like a contract the service keeps. So every request body and
// response body schema of every operation is given, through Prism's own validator,
// a value no schema with a type can accept; a schema that raises no violation for
// it is one Prism could not compile, and fails the check.
//
// usage: node compiles.cjs openapi.yaml
'use strict';
const { getHttpOperationsFromSpec } = require('@stoplight/prism-cli/dist/operations');
const { validateBody } = require('@stoplight/prism-http/dist/validator/validators');
const { ValidationContext } = require('@stoplight/prism-http/dist/validator/validators/types');

const poison = () => {}; // a function is no JSON type at all

async function main() {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node compiles.cjs openapi.yaml');
  const operations = await getHttpOperationsFromSpec(file);
  let checked = 0;
  const failed = [];
  const check = (label, contents, context, bundle) => {
    for (const content of contents || []) {
      if (!content.schema) continue;
      checked++;
      const result = validateBody(poison, [content], context, content.mediaType, undefined, bundle);
      if (result._tag === 'Right') failed.push(`${label} ${content.mediaType}`);
    }
  };
  for (const op of operations) {
    const name = `${op.method.toUpperCase()} ${op.path}`;
    const bundle = op['__bundled__'];
    if (op.request && op.request.body) check(`${name} request`, op.request.body.contents, ValidationContext.Input, bundle);
    for (const res of op.responses || []) check(`${name} → ${res.code}`, res.contents, ValidationContext.Output, bundle);
  }
  if (failed.length > 0) {
    console.error(`FAIL: Prism cannot compile ${failed.length} of the ${checked} body schemas (it would check nothing there):`);
    for (const f of failed) console.error(`  ${f}`);
    process.exit(1);
  }
  console.log(`Prism compiles all ${checked} body schemas of ${operations.length} operations`);
}

main().catch(err => {
  console.error(`FAIL: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
