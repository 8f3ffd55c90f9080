// The launch module's signing needs only the crypto part of the Glide runtime (no store, no session).
import { installGlide } from '../../glide-runtime';

export const installGlideCrypto = installGlide;
