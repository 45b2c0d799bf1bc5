#!/usr/bin/env node
import React, { lazy, type FC } from 'react'
import type { Props } from "./types"
import * as ns from '@/lib/ns'
import './styles.css'
export { default as Feed } from '../components/Feed'
export * from "./barrel"
const Pulse = React.lazy(() => import('./pages/pulse'))
const dyn = import(`./pages/${name}`)
const r = require('./r.js')
// import Ghost from './ghost'
/* require('./ghost2') */
const s = "import x from './str'", t = `tpl ${import('./in-tpl')} \`x\``
const re = /['"`]\/import/g, q = a / b / c
export default function App() {
  return <Routes><Route path="/pulse" element={<Pulse />} /><p>Don't</p>
    <Route element={<X/>} path='/x' /></Routes>
}
const router = createBrowserRouter([{ path: '/data', Component: Data }])
