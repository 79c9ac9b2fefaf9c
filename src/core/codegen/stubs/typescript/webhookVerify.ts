// stub:drop Not generated: lets the handler and test files type-check here against the Kaltura verification module.
export * from './verifyCommon';
export * from './verifyKaltura';
