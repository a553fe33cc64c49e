/**
 * MDX components of the results, beyond-the-paper, glossary and references chapters, spread into
 * `mdxProseComponents` by ./index.ts.
 */
import AblationFact from './AblationFact';
import AblationFig4Table from './AblationFig4Table';
import AblationGridTable from './AblationGridTable';
import AblationPaired from './AblationPaired';
import AblationSweepTable from './AblationSweepTable';
import AblationTable from './AblationTable';
import AblationValue from './AblationValue';
import Bibliography from './Bibliography';
import DesignPaired from './DesignPaired';
import DesignTable from './DesignTable';
import DesignValue from './DesignValue';
import ReliabilityFact from './ReliabilityFact';
import Term from './Term';

export const courseExtraComponents = {
  AblationFact,
  AblationFig4Table,
  AblationGridTable,
  AblationPaired,
  AblationSweepTable,
  AblationTable,
  AblationValue,
  Bibliography,
  DesignPaired,
  DesignTable,
  DesignValue,
  ReliabilityFact,
  Term,
};
