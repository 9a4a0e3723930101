// The test server's feature extensions, applied in this order (see README.md).
import ciba from './ciba.mjs';
import fapi from './fapi.mjs';
import jarJarm from './jar_jarm.mjs';
import jwtBearer from './jwt_bearer.mjs';
import mtls from './mtls.mjs';
import rar from './rar.mjs';

export const EXTENSIONS = [mtls, jarJarm, rar, ciba, jwtBearer, fapi];
