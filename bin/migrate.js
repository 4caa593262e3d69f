#!/usr/bin/env node
import { launch } from '../dist/cli/launch.js';

// The CLI runs as a classic script (see src/cli/launch.ts), which cannot import() by
// itself: this module does it for it.
launch(process.argv, (specifier) => import(specifier));
