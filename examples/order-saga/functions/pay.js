const { fail } = require('./errors');

// Charges the card. A stand-in for a payment provider: the card "declined" is refused.
exports.handler = async (order) => {
  if (order.card === 'declined') throw fail('PaymentDeclined', `card declined for order ${order.orderId}`);
  return { chargeId: `ch_${order.orderId}`, amount: order.amount, status: 'charged' };
};
