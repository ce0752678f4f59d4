import { existsSync } from 'node:fs';
import { defaultQueryFile, main, readQueries, SHARED_DEV_QUERIES, SHIPPED_DEV_QUERIES } from '../../scripts/eval';

/** `npm run eval` on a fresh clone, where the team's ../shared folder is not beside the project. */
describe('npm run eval', () => {
  let output: string[];
  let errors: string[];
  beforeEach(() => {
    output = [];
    errors = [];
    jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void output.push(args.join(' ')));
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')));
    process.exitCode = undefined;
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('ships its default query set in the repository', () => {
    expect(existsSync(SHIPPED_DEV_QUERIES)).toBe(true);
    const queries = readQueries(SHIPPED_DEV_QUERIES);
    expect(queries.length).toBeGreaterThanOrEqual(40);
    expect(queries.some((q) => q.expect === null)).toBe(true); // off-topic questions are scored too
    expect(defaultQueryFile(() => false)).toBe(SHIPPED_DEV_QUERIES);
    expect(defaultQueryFile((file) => file === SHARED_DEV_QUERIES)).toBe(SHARED_DEV_QUERIES);
  });

  it('scores the shipped set when ../shared is absent', () => {
    // Without the Fuse.js baseline, which is most of a run's time and not what is tested here.
    main(['--no-baseline'], (file) => file !== SHARED_DEV_QUERIES && existsSync(file));
    expect(errors).toEqual([]);
    expect(process.exitCode).toBeUndefined();
    const report = output.join('\n');
    expect(report).toContain(`queries from ${SHIPPED_DEV_QUERIES}`);
    expect(report).toMatch(/motcua search\s+\|\s+\d+\.\d%\s+\|\s+\d+\.\d%\s+\|\s+\d+\.\d% \(\d+\/4\)/);
    expect(report).not.toMatch(/Fuse\.js baseline/);
  });

  it('says what is wrong, without a stack trace, for a query file that does not exist', () => {
    main(['no-such-queries.jsonl']);
    expect(process.exitCode).toBe(1);
    expect(errors.join('\n')).toMatch(/No query set at .*no-such-queries\.jsonl\. Usage: npm run eval/);
  });
});
