/**
 * `dockerlint explain` of a script copied to a folder of the image written with no trailing slash
 * (`COPY start.sh /home/harbor`): the build shows the destination is a folder, so the script is
 * found and followed.
 */
import { explainContext, removeContexts, type Explained } from './explain-harness.js';
import { ShellService } from '../src/model/shell-service.js';

const shell = new ShellService();
afterAll(removeContexts);

function explain(files: Record<string, string>): Promise<Explained> {
  return explainContext(files, shell);
}

describe('a COPY of one file to a folder of the image, written with no trailing slash', () => {
  const START = '#!/bin/sh\n/home/harbor/install_cert.sh\nexec /home/harbor/harbor_registryctl -c /etc/registryctl/config.yml\n';
  test('a RUN that chmods the file inside it shows the destination is a folder of the (unread) base: the script is read and followed', async () => {
    const x = await explain({
      Dockerfile:
        'ARG base_version\nFROM registry.example.com/harbor-base:${base_version}\nCOPY start.sh /home/harbor\nRUN chown harbor:harbor /home/harbor/start.sh && chmod u+x /home/harbor/start.sh\nENTRYPOINT ["/home/harbor/start.sh"]\nUSER harbor\n',
      'start.sh': START,
    });
    expect(x.e.hops.map((h) => `${h.process} [${h.user}]`)).toEqual([
      '/home/harbor/start.sh [harbor]',
      'exec /home/harbor/harbor_registryctl -c /etc/registryctl/co… [harbor]',
      '/home/harbor/harbor_registryctl -c /etc/registryctl/config.yml [harbor]',
    ]);
    expect(x.e.hops[0]?.note).toBe('script /home/harbor/start.sh');
  });

  test('with no such RUN, the destination may be the file itself: the script is not found at the path inside it', async () => {
    const x = await explain({
      Dockerfile: 'ARG base_version\nFROM registry.example.com/harbor-base:${base_version}\nCOPY start.sh /home/harbor\nENTRYPOINT ["/home/harbor/start.sh"]\nUSER harbor\n',
      'start.sh': START,
    });
    expect(x.e.hops.map((h) => h.process)).toEqual(['/home/harbor/start.sh']);
    expect(x.e.hops[0]?.note).toContain('/home/harbor/start.sh is not provided by any COPY or ADD in the build context');
  });
});
