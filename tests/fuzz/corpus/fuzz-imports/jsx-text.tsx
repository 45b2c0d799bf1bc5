import { lazy } from 'react';
function Help() { return <p>Drop your files into uploads/* or `here` (don't)</p>; }
const Upload = lazy(() => import('./pages/Upload'));
const f = <T,>(x: T) => x; type F = <T>(x: T) => T;
const el = <Select<Option> a="/*" b={<b>{'{'}</b>} {...p}><>x</><br/></Select>;
export default function App() { return <><Help /><Upload /></>; }
