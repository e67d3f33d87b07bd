// Stands in for node:http2 in dist/vendor/axios.cjs: axios loads http2 at
// start (~10 ms here) for HTTP/2 requests orar-cal never makes; this loads
// it on first use instead. axios uses only connect() and constants.
module.exports = {
  connect: (...args) => require('node:http2').connect(...args),
  get constants() {
    return require('node:http2').constants;
  },
};
