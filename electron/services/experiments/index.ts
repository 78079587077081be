export type { EngineHost, EngineRunHooks, EngineRunRequest } from './engine-host';
export { createExperimentService, type ExperimentService, type ExperimentServiceOptions } from './service';
export { experimentHandlers, experimentHandlersFor, disposeExperimentService } from './handlers';
export { createReferenceEngineHost } from './reference-host';
export { createChannelEngineHost, type ChannelEngineHost, type EngineChannel } from './channel-host';
