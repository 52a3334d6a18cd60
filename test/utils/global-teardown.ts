import { removePgliteSeed } from './pglite-seed';

export default removePgliteSeed;
