#!/usr/bin/env node
import { exitWhenFlushed, main } from '../dist/cli/main.js';

main(process.argv).then(exitWhenFlushed);
