const { fail } = require('./errors');

// Takes the items out of stock. A stand-in for an inventory service: the sku "out-of-stock" is never available.
exports.handler = async (order) => {
  const missing = order.items.filter((item) => item.sku === 'out-of-stock').map((item) => item.sku);
  if (missing.length > 0) throw fail('OutOfStock', `not in stock: ${missing.join(', ')}`);
  return { reserved: order.items.map((item) => ({ sku: item.sku, qty: item.qty ?? 1 })) };
};
