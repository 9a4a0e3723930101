// Test-server extension: fapi (issue 15). See extensions/README.md for the hooks.
export default {
  name: 'fapi',
  clients: [],
  // configure(configuration, env) {},
  // async prepare({ port, issuer, configuration, env }) {},
  // install(provider, { server, handle, issuer, configuration, env }) {},
};
