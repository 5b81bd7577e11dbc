/**
 * @peculiar/x509 with the platform's WebCrypto. The library resolves its
 * internals through tsyringe, which needs a Reflect metadata polyfill loaded
 * first; importing x509 through this file guarantees the order.
 */
import "reflect-metadata"
import * as x509 from "@peculiar/x509"

x509.cryptoProvider.set(crypto)

export { x509 }
