import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import './globals.css';
import '@/components/figures/figures.css';
import '@/components/mdx/mdx.css';
import SiteChrome from '@/components/site/SiteChrome';
import ServiceWorker from '@/components/site/ServiceWorker';
import InteractiveMark from '@/components/site/InteractiveMark';
import SiteHeader from '@/components/site/SiteHeader';
import { THEME_SCRIPT } from '@/components/site/theme';

export const metadata: Metadata = {
  title: { default: 'Focal Lab — why focal loss works', template: '%s · Focal Lab' },
  description:
    'An interactive explainer of Focal Loss for Dense Object Detection (Lin et al., ICCV 2017): live figures computed by one TensorFlow.js loss core.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#ffffff' },
    { media: '(prefers-color-scheme: dark)', color: '#14161a' },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The head script may set data-theme before React hydrates, hence suppressHydrationWarning (this
    // element only).
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* Constant string on every page (stable CSP hash): see components/site/theme.ts. */}
        <script id="theme-init" dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>
        <SiteChrome
          header={<SiteHeader />}
          footer={
            <footer className="site-footer">
              <p>
                Focal Lab explains Lin, Goyal, Girshick, He and Dollár,{' '}
                <cite>Focal Loss for Dense Object Detection</cite>, ICCV 2017. Every plotted number is
                computed live in your browser by the site&apos;s TensorFlow.js loss core or cited from the
                paper.
              </p>
            </footer>
          }
        >
          {children}
        </SiteChrome>
        <ServiceWorker />
        <InteractiveMark />
      </body>
    </html>
  );
}
