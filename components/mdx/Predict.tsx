/**
 * `<Predict id="easy-negative-share" />`: asks one of the course's prediction questions (lib/predict/questions.ts)
 * before the figure or paragraph that answers it. A server component: the answer is computed here, at build
 * time, by the question's `answer()` (lib/ or content/data), so the page ships the result, not the loss core.
 * The interactive part is ./PredictQuestion; the presenter renders that too, with the same resolved question.
 */
import { resolveQuestion } from '@/lib/predict/questions';
import PredictQuestion from './PredictQuestion';

export default function Predict({ id }: { id: string }) {
  return <PredictQuestion q={resolveQuestion(id)} />;
}
