import { createPgliteSeed } from './pglite-seed';

export default createPgliteSeed;
