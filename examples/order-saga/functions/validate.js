const { fail } = require('./errors');

// Checks the order's shape; a bad order is rejected before anything is charged.
exports.handler = async (order) => {
  if (typeof order.orderId !== 'string' || order.orderId === '') throw fail('ValidationError', 'orderId is required');
  if (!Array.isArray(order.items) || order.items.length === 0) throw fail('ValidationError', 'an order needs at least one item');
  if (!(typeof order.amount === 'number' && order.amount > 0)) throw fail('ValidationError', 'amount must be a positive number');
  return { ...order, status: 'validated' };
};
