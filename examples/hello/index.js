// The smallest useful function: module scope runs once per environment (Init),
// the handler once per request (Invoke).
const startedAt = new Date().toISOString();
let served = 0;

exports.handler = async (event, context) => {
  served += 1;
  console.log('hello from', context.functionName, 'request', context.awsRequestId);
  return {
    message: `Hello, ${event.name ?? 'world'}!`,
    environmentStartedAt: startedAt,
    requestsServedByThisEnvironment: served,
  };
};
