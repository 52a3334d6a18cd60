import type { Principal } from '../../../common/auth/principal';
import type { TaskScope } from '../../tasks/tasks.service';
import type { A2aOperations } from '../operations/a2a-operations.service';
import type { A2aStreamPlan } from '../streaming/a2a-streams';

export interface RpcCall {
  principal: Principal;
  scope: TaskScope;
  params: unknown;
}

/** A method answers with a result, or with a stream of results. */
export type RpcOutcome = { result: unknown } | { stream: A2aStreamPlan };

export type RpcMethod = (operations: A2aOperations, call: RpcCall) => Promise<RpcOutcome>;
