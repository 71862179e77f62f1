/**
 * The terminal chat end to end: the real process (`node --import tsx src/main.ts`, as `npm start`), its real
 * SQLite file, piped input. Slow-ish (each process starts tsx), so a few thorough scenarios.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveBot, runWithInput } from '../support/process.js';
import { tempDbPath } from '../support/engine.js';

let tmp: ReturnType<typeof tempDbPath>;
beforeEach(() => {
  tmp = tempDbPath();
});
afterEach(() => tmp.cleanup());

const QUESTIONS_IN_FRENCH = ['commencer', 'GMail', 'pour moi', 'je sais pas', 'non', 'Gratuit', 'oui', 'europe', 'oui', 'oui'];

describe('the terminal chat', () => {
  it('runs the whole guide from piped input and exits after the last reply', async () => {
    const input = [...QUESTIONS_IN_FRENCH, '1', 'fait', "j'ai besoin d'aide", 'plus tard', '/ou', ''].join('\n');
    const { code, stdout, stderr } = await runWithInput(input, { DEMAILBOT_DB: tmp.path, LANG: 'fr_FR.UTF-8' });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    for (const expected of [
      'Bonjour ! Je suis demailbot',
      'ni adresse e-mail, ni numéro de téléphone, ni nom',
      'Quelle boîte mail utilisez-vous',
      'Pour qui est la nouvelle boîte',
      'Quelle place vous faut-il',
      'Voici les meilleurs',
      '👉 http',
      'Excellent choix',
      'Étape 1 sur',
      'Étape 2 sur',
      'on y reviendra plus tard',
      '✓ Créer',
    ]) {
      expect(stdout).toContain(expected);
    }
    expect(stdout).not.toMatch(/\{\{|\*\*|undefined|\[object/); // no raw placeholders or markup leaked
  });

  it('speaks English when the environment does, and switches on request', async () => {
    const { stdout } = await runWithInput(['start', '/langue', ''].join('\n'), { DEMAILBOT_DB: tmp.path, LANG: 'en_GB.UTF-8' });
    expect(stdout).toContain('Hello! I am demailbot');
    expect(stdout).toContain('Which mailbox do you use today?');
    expect(stdout).toContain('je continue en français');
    expect(stdout).toContain("Quelle boîte mail utilisez-vous aujourd'hui ?");
  });

  it('continues the same conversation when run again on the same database', async () => {
    const env = { DEMAILBOT_DB: tmp.path, LANG: 'fr_FR.UTF-8' };
    await runWithInput(['commencer', 'yahoo', 'famille', ''].join('\n'), env);
    const { stdout } = await runWithInput(['2', ''].join('\n'), env);
    expect(stdout).toContain('Re-bonjour');
    expect(stdout).toContain('Combien de boîtes mail');
    expect(stdout).toContain('Quelle place vous faut-il');
  });

  it('resumes mid-plan after the process is killed without warning', async () => {
    const env = { DEMAILBOT_DB: tmp.path, LANG: 'fr_FR.UTF-8' };
    const bot = new LiveBot(env);
    await bot.waitFor(/On commence \?[\s\S]*\n {2}1\. /);
    await bot.say('commencer', /Question 1/);
    for (const answer of QUESTIONS_IN_FRENCH.slice(1, -1)) await bot.say(answer, /\?/);
    await bot.say('oui', /Voici les meilleurs/);
    await bot.say('1', /Étape 1 sur/);
    await bot.say('fait', /Étape 2 sur/);
    const reply = await bot.say('fait', /Étape 3 sur (\d+) — ([^\n]+)/);
    const step3 = /Étape 3 sur \d+ — ([^\n]+)/.exec(reply)![1]!;
    expect(await bot.kill('SIGKILL')).toBeNull();

    const again = new LiveBot(env);
    const resumed = await again.waitFor(/Re-bonjour[\s\S]*\n {2}1\. /);
    expect(resumed).toContain(`Étape 3 sur`);
    expect(resumed).toContain(step3);
    await again.say('/ou', /✓/);
    expect(again.output).toMatch(/✓ [^\n]+\n✓ [^\n]+\n→ /);
    expect(await again.kill('SIGTERM')).toBe(0);
  });

  it('answers nonsense, emoji, a huge line and unknown commands kindly, and loses nothing', async () => {
    const huge = 'a'.repeat(50_000);
    const input = ['commencer', 'free', '', '🙂', huge, '/inconnue', 'xyzzy', 'association', ''].join('\n');
    const { code, stdout } = await runWithInput(input, { DEMAILBOT_DB: tmp.path, LANG: 'fr_FR.UTF-8' });
    expect(code).toBe(0);
    expect(stdout).toContain('Votre message semble vide');
    expect(stdout).toContain('très long');
    expect(stdout).toContain('Je ne connais pas cette commande');
    expect(stdout).toContain("Je n'ai pas compris cette réponse");
    expect(stdout).toContain('Combien de boîtes mail'); // "association" still got through afterwards
  });
});
