// The console's Settings — providers section (F8 §6).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Deps } from '../../context';

const routes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async () => {};
export default routes;
