import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// Korean never depends on the system's fonts: Pretendard (OFL), split into subsets loaded per glyph range.
import 'pretendard/dist/web/variable/pretendardvariable-dynamic-subset.css';
import 'katex/dist/katex.min.css';
import './styles/base.css';
import './styles/shell.css';
import './styles/review.css';
import './styles/markdown.css';
import './library/library.css';
import { connect } from './connect';
import { prefetchBoot, Root } from './Root';

const container = document.getElementById('root') as HTMLElement;
const client = connect();
if (client) {
  prefetchBoot(client);
  createRoot(container).render(
    <StrictMode>
      <Root client={client} />
    </StrictMode>,
  );
} else {
  // Opened as a plain file: no preload and no host token. Say so rather than fail silently.
  container.textContent = 'ProofDeck: start the app with `npm start` or `npm run web`.';
}
