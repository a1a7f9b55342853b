// Step Functions matches Retry/Catch on the error's name (Lambda's errorType), so each
// business failure is an Error with its own name.
exports.fail = (name, message) => {
  const err = new Error(message);
  err.name = name;
  return err;
};
