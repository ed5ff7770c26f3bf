/**
 * Layer 3, `app`: instance role, launch template and the blue and green fleets of Java servers.
 * A shell until the app layer lands: it already has its own state, provider and tags.
 */
import { Construct } from 'constructs';
import { Config } from '../modules/core/config';
import { LayerStack } from '../modules/core/layer';

export class AppStack extends LayerStack {
  constructor(scope: Construct, config: Config) {
    super(scope, 'app', config);
  }
}
