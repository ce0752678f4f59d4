import { startEval } from './eval-conversation';
import * as a from '../src/bot/conversation-acts';
(async () => {
  const run = await startEval();
  const r = run.app.dialogServices.recognizer;
  for (const t of process.argv.slice(2)) {
    const w = a.withoutOpeners(a.writtenOut(t));
    const x = r.recognize(w);
    console.log(JSON.stringify({ t: t.slice(0, 60), w: w.slice(0, 80), off: a.offTopic(t), centre: a.centreTopic(t), complaint: a.complaintLike(t), intent: x.intent, conf: x.confidence.toFixed(2), procs: x.procedures.slice(0, 3).map((p) => p.code + ' ' + p.score.toFixed(2)) }));
  }
  await run.stop();
})();
