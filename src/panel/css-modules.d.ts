// CSS modules (esbuild's local-css loader): class name -> generated name.
declare module '*.module.css' {
  const classes: Readonly<Record<string, string>>;
  export default classes;
}
