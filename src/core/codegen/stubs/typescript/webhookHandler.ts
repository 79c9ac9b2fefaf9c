// stub:drop Not generated: lets the test file type-check here against the node:http handler.
export * from './handlerCommon';
export * from './serverNodeHttp';
