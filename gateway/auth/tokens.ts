/**
 * Access tokens: JWTs signed with HS256 and the shared JWT_SECRET. The subject is the user id;
 * an optional `name` claim is what other people see next to the user's cursor.
 */
import { SignJWT, errors, jwtVerify } from 'jose';
import { unauthenticated } from '../../common/errors.ts';

export interface Identity {
  user: string;
  name: string;
}

/** User ids appear in logs, ACLs and room names: printable, no spaces, bounded. */
export const USER_ID_PATTERN = /^[\p{L}\p{N}_.@:+-]{1,128}$/u;

const MAX_NAME_LENGTH = 80;

export class TokenService {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  /** Issues a token for `user`; used by dev auth and by tests. */
  async issue(identity: { user: string; name?: string }, expiresIn: string | number = '12h') {
    const claims = identity.name === undefined ? {} : { name: identity.name };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(identity.user)
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(this.key);
  }

  /** The identity a token proves; throws UNAUTHENTICATED with the reason otherwise. */
  async verify(token: unknown): Promise<Identity> {
    if (typeof token !== 'string' || token.length === 0) {
      throw unauthenticated('an access token is required');
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'] }));
    } catch (error) {
      throw unauthenticated(
        error instanceof errors.JWTExpired
          ? 'the access token has expired'
          : 'the access token is not valid',
      );
    }
    const user = payload.sub;
    if (typeof user !== 'string' || !USER_ID_PATTERN.test(user)) {
      throw unauthenticated('the access token does not name a valid user');
    }
    const name = typeof payload.name === 'string' ? payload.name.slice(0, MAX_NAME_LENGTH) : user;
    return { user, name };
  }
}
