import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** PEM files of a throwaway certificate authority, the server it signed and one client. */
export interface DoublePki {
  caFile: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCertFile: string;
  clientKeyFile: string;
  /** Common name of the client certificate: the user name the double authenticates it as. */
  clientName: string;
}

const CLIENT_NAME = 'double-admin';

/**
 * Makes a new CA, a server certificate for 127.0.0.1 and localhost, and a client certificate,
 * with the openssl CLI into `dir`. Nothing is kept in git: every test run has its own keys.
 */
export function createPki(dir: string): DoublePki {
  const path = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const key = (name: string): void => openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', path(name));

  key('ca.key');
  openssl('req', '-x509', '-new', '-key', path('ca.key'), '-subj', '/CN=kube-api-double-ca', '-days', '2', '-out', path('ca.crt'));

  key('server.key');
  writeFileSync(path('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  signed('server', '/CN=kube-apiserver', path('server.ext'));

  key('client.key');
  writeFileSync(path('client.ext'), 'extendedKeyUsage=clientAuth\n');
  signed('client', `/O=system:masters/CN=${CLIENT_NAME}`, path('client.ext'));

  return {
    caFile: path('ca.crt'),
    ca: readFileSync(path('ca.crt'), 'utf8'),
    serverCert: readFileSync(path('server.crt'), 'utf8'),
    serverKey: readFileSync(path('server.key'), 'utf8'),
    clientCertFile: path('client.crt'),
    clientKeyFile: path('client.key'),
    clientName: CLIENT_NAME,
  };

  function signed(name: string, subject: string, extFile: string): void {
    openssl('req', '-new', '-key', path(`${name}.key`), '-subj', subject, '-out', path(`${name}.csr`));
    openssl('x509', '-req', '-in', path(`${name}.csr`), '-CA', path('ca.crt'), '-CAkey', path('ca.key'), '-CAcreateserial',
      '-days', '2', '-extfile', extFile, '-out', path(`${name}.crt`));
  }
}
