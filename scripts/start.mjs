// Placeholder: will serve the built web editor (dist/web) with the COOP/COEP headers that
// onnxruntime-web needs for wasm threads.
console.log('no web editor yet: nothing to serve');
process.exit(0);
