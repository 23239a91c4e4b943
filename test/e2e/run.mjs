// Browser end-to-end tests (headless Chromium, WebGPU on SwiftShader) go here.
console.log('no e2e tests yet');
process.exit(0);
