'use strict';
// restify requires spdy when it loads and calls spdy.createServer only for a server created with
// options.spdy (SPDY/HTTP2 over TLS). This server never does: it refuses clearly rather than
// load the unmaintained spdy → http-deceiver chain, which uses a deprecated Node internal (DEP0111).
module.exports = {
  createServer() {
    throw new Error('SPDY is not supported by this server: restify was created with options.spdy');
  },
};
