// Pre-builds the workflow bundle so a production worker starts without webpack.
const fs = require('node:fs');
const path = require('node:path');
const { bundleWorkflowCode } = require('@temporalio/worker');

async function main() {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve(path.join(__dirname, '..', 'dist', 'workflows')),
    logger: { info() {}, debug() {}, trace() {}, log() {}, warn: console.warn, error: console.error },
  });
  fs.writeFileSync(path.join(__dirname, '..', 'dist', 'workflow-bundle.js'), code);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
