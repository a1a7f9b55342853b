// Compensates pay: gives the charge back. Runs only after a charge succeeded.
exports.handler = async (order) => {
  if (!order.payment || order.payment.status !== 'charged') throw new Error(`nothing to refund for order ${order.orderId}`);
  return { ...order.payment, status: 'refunded', refundId: `re_${order.orderId}` };
};
