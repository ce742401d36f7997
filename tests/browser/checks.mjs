// A small runner for the Node check scripts: `test(name, fn)` registers a check, and
// `finish(options)` runs them in order, prints ok/FAIL lines and a total, and exits non-zero
// on any failure. `options.problems()` may list failures found outside the checks, and
// `options.after()` runs once the checks are done (closing a browser, say).
const tests = [];

export function test(name, fn) {
  tests.push([name, fn]);
}

export async function finish({ problems = () => [], after = async () => {} } = {}) {
  let failed = 0;
  for (const [name, fn] of tests) {
    try {
      await fn();
      console.log(`ok   ${name}`);
    } catch (err) {
      failed++;
      console.log(`FAIL ${name}\n     ${String(err.message).split('\n').join('\n     ')}`);
    }
  }
  await after();
  for (const problem of problems()) {
    failed++;
    console.log(`FAIL ${problem}`);
  }
  console.log(`${tests.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
