// The last compensation: the order is closed as cancelled, recording why and what
// happened to the money (no payment: never charged; refunded: charged, then given back).
exports.handler = async (order) => ({
  orderId: order.orderId,
  status: 'cancelled',
  reason: order.failure ? order.failure.Error : 'unknown',
  payment: order.payment ?? null,
});
