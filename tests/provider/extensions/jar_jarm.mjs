// Test-server extension: jar_jarm (issue 15). See extensions/README.md for the hooks.
export default {
  name: 'jar_jarm',
  clients: [],
  // configure(configuration, env) {},
  // async prepare({ port, issuer, configuration, env }) {},
  // install(provider, { server, handle, issuer, configuration, env }) {},
};
