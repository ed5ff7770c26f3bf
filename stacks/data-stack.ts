/**
 * Layer 2, `data`: RDS PostgreSQL, its credentials in Secrets Manager and their rotation.
 * A shell until the data layer lands: it already has its own state, provider and tags.
 */
import { Construct } from 'constructs';
import { Config } from '../modules/core/config';
import { LayerStack } from '../modules/core/layer';

export class DataStack extends LayerStack {
  constructor(scope: Construct, config: Config) {
    super(scope, 'data', config);
  }
}
