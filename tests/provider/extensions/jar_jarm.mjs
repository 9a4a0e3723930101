// Test-server extension: jar_jarm (issue 15). See extensions/README.md for the hooks.
//
// Signed request objects (RFC 9101, `features.requestObjects`) and JWT Secured Authorization
// Response Mode (JARM, `features.jwtResponseModes`) for every client; neither changes a client
// that does not use them. The response JWTs are signed with the server's RS256 key (each
// client's `authorization_signed_response_alg` defaults to RS256).
//
// Clients:
//   jar-required   confidential (client_secret_basic), `require_signed_request_object: true`:
//                  a plain authorization request is refused; an HS256 request object signed
//                  with its secret works.
// ES256 request objects use a private_key_jwt client the test registers dynamically (its
// public JWK is the one the server verifies with).

export const JAR_REQUIRED_SECRET = 'jar-required-secret-0123456789abcdef0123456789';

export default {
  name: 'jar_jarm',
  clients: [
    {
      client_id: 'jar-required',
      client_secret: JAR_REQUIRED_SECRET,
      token_endpoint_auth_method: 'client_secret_basic',
      application_type: 'native',
      redirect_uris: ['http://127.0.0.1/callback', 'http://localhost/callback'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      require_signed_request_object: true,
    },
  ],
  configure(configuration) {
    configuration.features.requestObjects = { enabled: true, requireSignedRequestObject: false };
    configuration.features.jwtResponseModes = { enabled: true };
  },
};
