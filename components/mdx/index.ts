/**
 * The prose components chapters may use, in one place (react.dev's MDXComponents pattern). The root
 * mdx-components.tsx spreads `mdxProseComponents` into the map it returns.
 */
import './mdx.css';
import Challenge from './Challenge';
import Challenges from './Challenges';
import Cite from './Cite';
import DeepDive from './DeepDive';
import Note from './Note';
import PaperTable from './PaperTable';
import Pitfall from './Pitfall';
import Predict from './Predict';
import Recap from './Recap';
import References from './References';
import Solution from './Solution';
import YouWillLearn from './YouWillLearn';
import { courseExtraComponents } from './courseExtras';

export {
  Challenge,
  Challenges,
  Cite,
  DeepDive,
  Note,
  PaperTable,
  Pitfall,
  Predict,
  Recap,
  References,
  Solution,
  YouWillLearn,
};

export const mdxProseComponents = {
  Challenge,
  Challenges,
  Cite,
  DeepDive,
  Note,
  PaperTable,
  Pitfall,
  Predict,
  Recap,
  References,
  Solution,
  YouWillLearn,
  ...courseExtraComponents,
};
